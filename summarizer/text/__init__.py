"""Text primitives that several stages share (the ground floor: it imports no other stage)."""
