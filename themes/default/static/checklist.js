// Checklist script: filled in with the checklist feature.
