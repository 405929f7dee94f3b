//! Memory the allocator keeps for reuse.
//!
//! The binary asks mimalloc to keep freed memory for an hour before giving it back to the
//! system, because an ingest frees and reallocates the same large buffers (index segments,
//! article batches) every few seconds, and memory given back is faulted in again, zeroed. What
//! it keeps is given back at the points where it is known to be idle: after each commit of an
//! ingest (the flushed segments' memory) and before each build of `newsdex bench`.

/// mimalloc's `mi_option_purge_delay` (see its `mimalloc.h`; the same position in versions 2
/// and 3): how long freed memory stays with the process before it is given back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// Milliseconds: an hour (mimalloc waits ten times that for the memory of its arenas). Its
/// default of a second gives back the memory of index segments and article batches only for
/// the next to fault it in again, zeroing huge pages: 4,800 page faults for an ingest of
/// 80,000 articles without extraction, 850 with this delay, for 7% less CPU time.
const PURGE_DELAY_MS: std::ffi::c_long = 3_600_000;

/// Makes mimalloc keep freed memory for reuse (see the module's description); its own
/// `MIMALLOC_PURGE_DELAY`, when set, wins. Called by the binary before any other thread starts.
pub fn keep_free_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one integer option of the allocator; mimalloc reads its options with
        // atomic loads, so this is sound at any time.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

/// Gives back to the system the freed memory the allocator keeps (mimalloc: everything
/// scheduled for purging, however long the delay). Under another global allocator, mimalloc
/// holds nothing and this does nothing.
pub fn give_back_free_memory() {
    // SAFETY: asks mimalloc to collect and purge its own free memory; memory in use is not
    // touched, and mimalloc allows this from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) };
}
