"""Write services of operations: imports (exports are separate)."""
