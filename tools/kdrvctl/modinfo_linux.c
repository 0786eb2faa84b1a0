// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A module's .modinfo fields, read from its ELF section table. */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modinfo.h"
#include "sysroot_linux.h"

#define KDRVCTL_MODSIG_MAGIC "~Module signature appended~\n"

/* The .modinfo section of @elf as [*start, *end), or -ENOEXEC if it has none or lies. */
static int kdrvctl_modinfo_section(const unsigned char *elf, size_t len, const char **start,
				   const char **end)
{
	const Elf64_Ehdr *eh = (const void *)elf;
	const Elf64_Shdr *sh, *strs;
	unsigned int i;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_shentsize != sizeof(*sh) || eh->e_shoff > len ||
	    eh->e_shoff % _Alignof(Elf64_Shdr) || (len - eh->e_shoff) / sizeof(*sh) < eh->e_shnum ||
	    eh->e_shstrndx >= eh->e_shnum)
		return -ENOEXEC;
	sh = (const void *)(elf + eh->e_shoff);
	strs = &sh[eh->e_shstrndx];
	if (strs->sh_offset > len || strs->sh_size > len - strs->sh_offset)
		return -ENOEXEC;
	for (i = 0; i < eh->e_shnum; i++) {
		const char *name = (const char *)elf + strs->sh_offset + sh[i].sh_name;

		if (sh[i].sh_name >= strs->sh_size ||
		    strnlen(name, strs->sh_size - sh[i].sh_name) == strs->sh_size - sh[i].sh_name ||
		    strcmp(name, ".modinfo"))
			continue;
		if (sh[i].sh_type == SHT_NOBITS || sh[i].sh_offset > len ||
		    sh[i].sh_size > len - sh[i].sh_offset)
			return -ENOEXEC;
		*start = (const char *)elf + sh[i].sh_offset;
		*end = *start + sh[i].sh_size;
		return 0;
	}
	return -ENOEXEC;
}

int kdrvctl_modinfo_read(const char *path, const char *key, char *val, size_t cap, bool *is_signed)
{
	size_t len = 0, klen = strlen(key), magic = sizeof(KDRVCTL_MODSIG_MAGIC) - 1;
	const char *p, *end;
	unsigned char *elf = (unsigned char *)kdrvctl_slurp(path, &len);
	int err;

	if (!elf)
		return -errno;
	val[0] = '\0';
	*is_signed = len >= magic && !memcmp(elf + len - magic, KDRVCTL_MODSIG_MAGIC, magic);
	err = kdrvctl_modinfo_section(elf, len, &p, &end);
	/* Entries are "key=value" strings, each ended by a NUL, padding NULs between them. */
	while (!err && p < end) {
		size_t n = strnlen(p, (size_t)(end - p));

		if (n > klen && p[klen] == '=' && !memcmp(p, key, klen)) {
			snprintf(val, cap, "%.*s", (int)(n - klen - 1), p + klen + 1);
			break;
		}
		p += n + 1;
	}
	free(elf);
	return err;
}
