"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's RedisCacheClient builds a new `redis.Redis` on every cache call (sessions, the public
cache, the ballot's receipts): about a third of a millisecond of CPU each, most of it filling the
client's table of response callbacks. A client holds no connection of its own (it borrows one from
its pool for each command) and is safe to share between threads, so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    """settings.CACHES' backend when CACHE_REDIS_URL is set (cms/settings/production.py)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
