"""Field encryption (Tink AEAD) and blind indexes (Tink PRF), with keysets sealed under a master key."""
