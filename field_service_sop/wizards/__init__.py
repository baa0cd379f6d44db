# Wizards (reschedule, transfer, phone confirmation) arrive with their features.
