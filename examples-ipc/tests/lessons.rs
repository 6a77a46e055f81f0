//! The other two queue lessons as binaries: they verify themselves and refuse bad flags.
