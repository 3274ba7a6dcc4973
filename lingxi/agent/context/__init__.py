"""The context of an interaction: who, where, what record, recent behaviour, history and memory."""
