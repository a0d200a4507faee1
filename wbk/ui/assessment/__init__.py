"""The LKE page's parts: the area navigation, a question's evidence and history."""
