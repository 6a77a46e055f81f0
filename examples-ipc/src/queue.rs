//! A work queue shared by several consumer processes, and the sentinel protocol that ends it.
