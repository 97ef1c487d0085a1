-- Each API user's role (Role's constant names). The users from before were all admins: the
-- first user was the only one, and it could do everything.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'ADMIN' CHECK (role IN ('ADMIN', 'OPERATOR', 'VIEWER'));
