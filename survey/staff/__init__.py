"""Staff accounts: users, passwords, sign-in, and who may do what."""
