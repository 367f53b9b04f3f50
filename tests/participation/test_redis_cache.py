"""The production cache backend (cms/redis_cache.py) that every vote's session and receipt batch go
through: one Redis client per connection pool, made once, not on every call."""

from cms.redis_cache import RedisCache


def test_the_redis_cache_makes_its_client_once_per_pool():
    cache = RedisCache("redis://127.0.0.1:6399/1", {})  # no server needed: a client connects only to send
    client = cache._cache.get_client("session:abc")
    assert cache._cache.get_client("another", write=True) is client  # one server: one pool, one client
    assert client.connection_pool is cache._cache._get_connection_pool(write=True)


def test_a_cache_with_a_replica_reads_and_writes_through_their_own_clients():
    cache = RedisCache("redis://127.0.0.1:6399/1,redis://127.0.0.1:6398/1", {})
    writer = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is writer
    assert writer.connection_pool.connection_kwargs["port"] == 6399
