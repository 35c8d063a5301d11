//! Hot loops (the k-means distance kernels, the Van Westendorp row tests) compiled twice: for the baseline x86-64 target (SSE2) and for AVX2,
//! chosen at run time by what the CPU reports. Wheels must run on any x86-64, so the baseline
//! build cannot assume AVX2; the AVX2 copy doubles the lanes of the same arithmetic. Both copies
//! do the same operations in the same order (no fused multiply-add), so results are identical
//! bit for bit on any machine.

/// `dispatch! { fn name(args) -> ret { body } }` defines `name`, whose body runs compiled with
/// AVX2 when the CPU has it and for the baseline target otherwise (the body is inlined into
/// both, with the kernels it inlines in turn).
macro_rules! dispatch {
    ($(#[$m:meta])* $vis:vis fn $name:ident($($arg:ident : $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$m])*
        #[allow(clippy::too_many_arguments)]
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            #[allow(clippy::too_many_arguments)]
            fn body($($arg: $ty),*) $(-> $ret)? $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2")]
                #[allow(clippy::too_many_arguments)]
                fn avx2($($arg: $ty),*) $(-> $ret)? {
                    body($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx2") {
                    // SAFETY: the running CPU supports AVX2, checked just above.
                    return unsafe { avx2($($arg),*) };
                }
            }
            body($($arg),*)
        }
    };
}

pub(crate) use dispatch;
