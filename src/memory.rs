//! Memory the allocator keeps for reuse.
//!
//! The binary asks mimalloc to keep freed memory for an hour before giving it back to the
//! system, because an ingest frees and reallocates the same large buffers (index segments,
//! article batches) every few seconds, and memory given back is faulted in again, zeroed. What
//! it keeps is given back at the points where it is known to be idle: after each commit of an
//! ingest (the flushed segments' memory) and before each build of `newsdex bench`.

/// Gives back to the system the freed memory the allocator keeps (mimalloc: everything
/// scheduled for purging, however long the delay). Under another global allocator, mimalloc
/// holds nothing and this does nothing.
pub fn give_back_free_memory() {
    // SAFETY: asks mimalloc to collect and purge its own free memory; memory in use is not
    // touched, and mimalloc allows this from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) };
}
