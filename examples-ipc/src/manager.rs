//! A manager-style server process that owns a dict and a list, and the proxies that talk to it.
