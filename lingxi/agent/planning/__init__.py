"""Goals become plans (trees of steps ending in atomic tasks); tasks are durable state machines."""
