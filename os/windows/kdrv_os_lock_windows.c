// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The seam's locks on NT: FAST_MUTEX and KSPIN_LOCK behind the opaque types of kdrv_os_base.h. */
#include "kdrv_nt.h"

_Static_assert(sizeof(FAST_MUTEX) <= sizeof(((struct kdrv_mutex *)0)->fast_mutex),
	       "a FAST_MUTEX fits in struct kdrv_mutex");
_Static_assert(_Alignof(FAST_MUTEX) <= _Alignof(struct kdrv_mutex),
	       "struct kdrv_mutex is aligned for a FAST_MUTEX");
_Static_assert(sizeof(KSPIN_LOCK) == sizeof(((struct kdrv_spinlock *)0)->lock) &&
		   sizeof(KIRQL) == sizeof(((struct kdrv_spinlock *)0)->irql),
	       "struct kdrv_spinlock holds a KSPIN_LOCK and a KIRQL");

static FAST_MUTEX *kdrv_nt_fast_mutex(struct kdrv_mutex *m)
{
	return (FAST_MUTEX *)m->fast_mutex;
}

void kdrv_nt_mutex_init(struct kdrv_mutex *m)
{
	ExInitializeFastMutex(kdrv_nt_fast_mutex(m));
}

void kdrv_nt_mutex_lock(struct kdrv_mutex *m)
{
	ExAcquireFastMutex(kdrv_nt_fast_mutex(m));
}

void kdrv_nt_mutex_unlock(struct kdrv_mutex *m)
{
	ExReleaseFastMutex(kdrv_nt_fast_mutex(m));
}

void kdrv_nt_spin_init(struct kdrv_spinlock *s)
{
	KeInitializeSpinLock((KSPIN_LOCK *)&s->lock);
}

/* The IRQL is stored only once the lock is held, so only its holder writes it. */
void kdrv_nt_spin_lock(struct kdrv_spinlock *s)
{
	KIRQL irql;

	KeAcquireSpinLock((KSPIN_LOCK *)&s->lock, &irql);
	s->irql = irql;
}

void kdrv_nt_spin_unlock(struct kdrv_spinlock *s)
{
	KeReleaseSpinLock((KSPIN_LOCK *)&s->lock, s->irql);
}
