"""Permit files and building commissions: sessions, decisions with reasons and conditions, published results."""
