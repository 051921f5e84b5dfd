"""What tests share besides builders and fixtures: databases, mail, query counting, races."""
