"""Acumatica push notifications (SM302000): the listener's endpoint, what a push names, the sync's inbox."""
