"""What tests (and only tests) need from shipdesk, built on the product's own paths: factories for store
rows and table rows, and the runner that stops ``shipdesk ship`` at a checkpoint for the crash test."""
