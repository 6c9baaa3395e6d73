from tests.route_permissions import Route

ROUTES = {"search.results": Route()}
