"""Time: occurrence maths, the dispatcher tick and the delivery ledger."""
