"""Performance Mode in the browser: the page, its sign-in, and the map layout it draws."""
