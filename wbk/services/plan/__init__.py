"""The plan: the planner's proposals and the tasks the team works through."""
