"""Time: occurrence maths, reminder schedules, and the dispatcher tick that plans, paces and sends them.

Below the flows: what a tick needs from above (posting the due digests) is handed to it by the runtime.
"""
