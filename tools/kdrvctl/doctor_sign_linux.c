// SPDX-License-Identifier: GPL-2.0 OR MIT
/* doctor: will the kernel refuse an unsigned module (Secure Boot, lockdown), and is our key in? */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "doctor_linux.h"

#define DOC_SB_GUID "8be4df61-93ca-11d2-aa0d-e0b0f5ee4d24"

enum doc_mok { DOC_MOK_UNKNOWN, DOC_MOK_NOT, DOC_MOK_PENDING, DOC_MOK_ENROLLED };

void kdrvctl_doc_secure_boot(struct kdrvctl_doc *dc)
{
	const char *argv[] = { "mokutil", "--sb-state", NULL };
	char var[KDRVCTL_PATH], buf[512];
	const char *from = "/sys/firmware/efi/efivars/SecureBoot-" DOC_SB_GUID;

	if (!kdrvctl_sys_exists("/sys/firmware/efi")) {
		dc->efi = KDRVCTL_TRI_NO;
		dc->secure_boot = KDRVCTL_TRI_NO;
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "secure-boot", NULL,
				   "not booted through EFI (no /sys/firmware/efi): no Secure Boot");
		return;
	}
	dc->efi = KDRVCTL_TRI_YES;
	/* An EFI variable file: 4 bytes of attributes, then the 1-byte value. */
	if (kdrvctl_read(kdrvctl_sys(var, sizeof(var), "%s", from), buf, sizeof(buf)) >= 5) {
		dc->secure_boot = buf[4] == 1 ? KDRVCTL_TRI_YES : KDRVCTL_TRI_NO;
	} else if (kdrvctl_run(buf, sizeof(buf), argv) >= 0 && strstr(buf, "SecureBoot ")) {
		from = "mokutil --sb-state";
		dc->secure_boot =
		    strstr(buf, "SecureBoot enabled") ? KDRVCTL_TRI_YES : KDRVCTL_TRI_NO;
	} else {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, "secure-boot",
				   "mount efivarfs (mount -t efivarfs none "
				   "/sys/firmware/efi/efivars) or sudo apt-get install mokutil",
				   "could not tell whether Secure Boot is on: %s is unreadable "
				   "and mokutil %s",
				   from, buf[0] ? "could not say" : "is not installed");
		return;
	}
	kdrvctl_doctor_add(
	    &dc->d, dc->secure_boot == KDRVCTL_TRI_YES ? KDRVCTL_DOCTOR_INFO : KDRVCTL_DOCTOR_OK,
	    "secure-boot", NULL, "Secure Boot is %s (%s)%s",
	    dc->secure_boot == KDRVCTL_TRI_YES ? "on" : "off", from,
	    dc->secure_boot == KDRVCTL_TRI_YES
		? ": a kernel with CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT (Debian's) then "
		  "locks down and loads only signed modules"
		: "");
}

/* The running kernel's lockdown mode ("none", "integrity", ...), or "" when unknown. */
static const char *doc_lockdown(struct kdrvctl_doc *dc, char *mode, size_t cap)
{
	char buf[128], *open, *close;

	mode[0] = '\0';
	if (dc->d.running && kdrvctl_sys_line(buf, sizeof(buf), "/sys/kernel/security/lockdown") &&
	    (open = strchr(buf, '[')) && (close = strchr(open, ']')))
		snprintf(mode, cap, "%.*s", (int)(close - open - 1), open + 1);
	return mode;
}

void kdrvctl_doc_lockdown(struct kdrvctl_doc *dc)
{
	char mode[64];

	if (!dc->d.running)
		return;
	if (!doc_lockdown(dc, mode, sizeof(mode))[0])
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "lockdown", NULL,
				   "no /sys/kernel/security/lockdown (no lockdown LSM, or "
				   "securityfs not mounted): taken as none");
	else if (!strcmp(mode, "none"))
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "lockdown", NULL, "lockdown: none");
	else
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_INFO, "lockdown", NULL,
				   "lockdown: %s: the kernel loads only modules signed with a key "
				   "it trusts",
				   mode);
}

/*
 * Why the kernel will refuse unsigned modules, joined into @why; "" when it will
 * not. *@known: whether the configuration or the running kernel could say.
 */
static void doc_sig_reasons(struct kdrvctl_doc *dc, char *why, size_t cap, bool *cmdline,
			    bool *known)
{
	char val[64], mode[64], buf[128];

	why[0] = '\0';
	*cmdline = false;
	*known = dc->config != NULL;
	if (kdrvctl_doc_config_y(dc, "CONFIG_MODULE_SIG_FORCE"))
		kdrvctl_append(why, cap, "CONFIG_MODULE_SIG_FORCE=y");
	if (kdrvctl_doc_cmdline(dc, "module.sig_enforce", val, sizeof(val)) &&
	    (!val[0] || strchr("1yY", val[0]) || !strcmp(val, "on"))) {
		kdrvctl_append(why, cap, "module.sig_enforce on the command line");
		*cmdline = true;
	}
	*cmdline |= kdrvctl_doc_cmdline(dc, "lockdown", val, sizeof(val));
	if (dc->d.running &&
	    kdrvctl_sys_line(buf, sizeof(buf), "/sys/module/module/parameters/sig_enforce")) {
		*known = true;
		if (!why[0] && !strcmp(buf, "Y"))
			kdrvctl_append(why, cap, "/sys/module/module/parameters/sig_enforce is Y");
	}
	if (doc_lockdown(dc, mode, sizeof(mode))[0]) {
		if (strcmp(mode, "none")) {
			snprintf(buf, sizeof(buf), "lockdown=%s", mode);
			kdrvctl_append(why, cap, buf);
		}
		return;
	}
	/* Not running (or no securityfs): predict the lockdown this kernel will boot into. */
	if (kdrvctl_doc_config_y(dc, "CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY") ||
	    kdrvctl_doc_config_y(dc, "CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY"))
		kdrvctl_append(why, cap, "CONFIG_LOCK_DOWN_KERNEL_FORCE_* (lockdown at boot)");
	else if (dc->secure_boot == KDRVCTL_TRI_YES &&
		 kdrvctl_doc_config_y(dc, "CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT"))
		kdrvctl_append(
		    why, cap,
		    "Secure Boot with CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT=y (lockdown at "
		    "boot)");
}

/* mokutil's verdict on @key, from its words (its exit status differs across versions). */
static enum doc_mok doc_mok_test(const char *key, char *said, size_t cap)
{
	const char *argv[] = { "mokutil", "--test-key", key, NULL };

	kdrvctl_run(said, cap, argv);
	kdrvctl_first_line(said);
	if (strstr(said, "is already enrolled") || strstr(said, "is already in db") ||
	    strstr(said, "built-in trusted keyring"))
		return DOC_MOK_ENROLLED;
	if (strstr(said, "is already in the enrollment request"))
		return DOC_MOK_PENDING;
	if (strstr(said, "is not enrolled"))
		return DOC_MOK_NOT;
	return DOC_MOK_UNKNOWN;
}

void kdrvctl_doc_signatures(struct kdrvctl_doc *dc)
{
	char why[512], keys[2][KDRVCTL_PATH], shown[2][KDRVCTL_PATH], said[512],
	    fix[2 * KDRVCTL_PATH];
	char exe[KDRVCTL_PATH], sign[256], best_said[512] = "", names[2 * KDRVCTL_PATH + 8] = "";
	enum doc_mok best = DOC_MOK_UNKNOWN, st;
	unsigned int nkeys = 0, i, best_key = 0;
	bool cmdline, known;

	doc_sig_reasons(dc, why, sizeof(why), &cmdline, &known);
	if (!why[0]) {
		if (!known)
			kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_INFO, "signatures", NULL,
					   "could not tell whether %s enforces module signatures: "
					   "its configuration is unreadable",
					   dc->krel);
		else
			kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "signatures", NULL,
					   !dc->config ||
						   kdrvctl_doc_config_y(dc, "CONFIG_MODULE_SIG")
					       ? "not enforced: %s loads unsigned modules (it "
						 "logs 'module verification failed' and taints "
						 "itself)"
					       : "%s does not check module signatures",
					   dc->krel);
		return;
	}
	snprintf(sign, sizeof(sign), "make sign-linux KDIR=/lib/modules/%s/build", dc->krel);
	if (dc->efi == KDRVCTL_TRI_NO) {
		snprintf(fix, sizeof(fix), "%s",
			 cmdline ? "remove module.sig_enforce and lockdown= from the kernel "
				   "command line"
				 : "boot a kernel without CONFIG_MODULE_SIG_FORCE and lockdown, or "
				   "one built with your key");
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "signatures", fix,
				   "signatures are enforced (%s) and without EFI there is no MOK "
				   "list to enroll a key in: only keys built into %s count",
				   why, dc->krel);
		return;
	}
	if (dc->tree) {
		kdrvctl_path(keys[nkeys], KDRVCTL_PATH, "%s/build/keys/linux-signing.x509",
			     dc->tree);
		memcpy(shown[nkeys], keys[nkeys], KDRVCTL_PATH);
		nkeys += !access(keys[nkeys], R_OK);
	}
	kdrvctl_sys(keys[nkeys], KDRVCTL_PATH, "/var/lib/dkms/mok.pub");
	snprintf(shown[nkeys], KDRVCTL_PATH, "/var/lib/dkms/mok.pub");
	nkeys += !access(keys[nkeys], R_OK);
	if (!nkeys) {
		snprintf(fix, sizeof(fix),
			 "%s, then sudo mokutil --import build/keys/linux-signing.x509, reboot "
			 "and enroll it in MokManager",
			 sign);
		kdrvctl_doctor_add(
		    &dc->d, KDRVCTL_DOCTOR_FAIL, "signatures", fix,
		    "signatures are enforced (%s) and there is no kdrv signing key "
		    "to enroll yet (neither build/keys/linux-signing.x509 nor DKMS's "
		    "/var/lib/dkms/mok.pub)",
		    why);
		return;
	}
	if (!kdrvctl_which("mokutil", exe, sizeof(exe))) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, "signatures",
				   "sudo apt-get install mokutil, then run kdrvctl doctor again",
				   "signatures are enforced (%s); could not tell whether %s is "
				   "enrolled: mokutil is not installed",
				   why, shown[0]);
		return;
	}
	for (i = 0; i < nkeys; i++) {
		kdrvctl_append(names, sizeof(names), shown[i]);
		st = doc_mok_test(keys[i], said, sizeof(said));
		if (st > best || !i) {
			best = st;
			best_key = i;
			snprintf(best_said, sizeof(best_said), "%s", said);
		}
	}
	if (best == DOC_MOK_ENROLLED && dc->built && !dc->built_signed) {
		snprintf(fix, sizeof(fix), "%s, then insmod build/linux/%s/signed/kdrv_NAME.ko",
			 sign, dc->krel);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, "signatures", fix,
				   "signatures are enforced (%s); %s is enrolled, but none of "
				   "the %u modules built for %s is signed",
				   why, shown[best_key], dc->built, dc->krel);
	} else if (best == DOC_MOK_ENROLLED) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "signatures", NULL,
				   "signatures are enforced (%s); %s is enrolled: modules signed "
				   "with it load",
				   why, shown[best_key]);
	} else if (best == DOC_MOK_PENDING) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "signatures",
				   "reboot and confirm the key in MokManager",
				   "signatures are enforced (%s); %s awaits enrollment at the next "
				   "boot",
				   why, shown[best_key]);
	} else if (best == DOC_MOK_NOT) {
		snprintf(fix, sizeof(fix),
			 "sudo mokutil --import %s, reboot and confirm it in MokManager%s%s",
			 shown[0], dc->built_signed ? "" : "; sign with ",
			 dc->built_signed ? "" : sign);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "signatures", fix,
				   "signatures are enforced (%s) and no kdrv signing key is "
				   "enrolled (not enrolled: %s)",
				   why, names);
	} else {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, "signatures", NULL,
				   "signatures are enforced (%s); could not tell whether %s is "
				   "enrolled: mokutil says '%s'",
				   why, shown[best_key], best_said);
	}
}
