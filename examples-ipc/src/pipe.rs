//! A two-way request/response pipe between a parent and one child.
