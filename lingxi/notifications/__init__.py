"""In-app notifications: reminders, escalations and messages to a user, read in the web UI's bell."""
