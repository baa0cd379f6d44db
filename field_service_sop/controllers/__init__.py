# Portal and signature routes arrive with the service-report issue (SOP S2, S5).
