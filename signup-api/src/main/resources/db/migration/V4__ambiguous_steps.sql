-- A step done by an attempt that followed one which may have done it too (it claimed the event,
-- then died or could not record its effect): the effect may have happened twice. Shown with the
-- step's status, so that someone can look.
ALTER TABLE signup_steps ADD COLUMN ambiguous boolean NOT NULL DEFAULT false;
