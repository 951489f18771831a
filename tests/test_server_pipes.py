"""The worker pipe messages (server.pipes): whole messages of any size, a clear end when the writer dies;
and the request they carry."""

from __future__ import annotations

import contextlib
import os
import threading

import pytest

from server import pipes


@pytest.fixture
def pipe():
    read, write = os.pipe()
    yield read, write
    for fd in (read, write):
        with contextlib.suppress(OSError):
            os.close(fd)


@pytest.mark.parametrize("size", [0, 10, pipes.CHUNK - 100, pipes.CHUNK, 3 * pipes.CHUNK + 7, 5_000_000])
def test_a_message_arrives_whole(pipe, size):
    read, write = pipe
    message = ("ok", ("application/sparql-results+json", bytes(range(256)) * (size // 256) + b"x" * (size % 256)))
    # a large message fills the pipe: the writer runs beside the reader, as a worker does
    writer = threading.Thread(target=pipes.send, args=(write, message))
    writer.start()
    got = pipes.recv(read)
    writer.join()
    assert got == message
    assert len(got[1][1]) == size


def test_messages_in_turn_stay_apart(pipe):
    read, write = pipe
    for n in range(50):
        pipes.send(write, ("request", n, "x" * n))
        assert pipes.recv(read) == ("request", n, "x" * n)


def test_a_closed_pipe_is_an_end_of_file(pipe):
    read, write = pipe
    os.close(write)
    with pytest.raises(EOFError):
        pipes.recv(read)


def test_a_writer_that_dies_inside_a_message_is_an_end_of_file(pipe):
    read, write = pipe
    os.write(write, (1000).to_bytes(pipes.PREFIX, "big") + b"only part of it")
    os.close(write)
    with pytest.raises(EOFError, match="inside a message"):
        pipes.recv(read)


def test_a_writer_that_dies_inside_the_prefix_is_an_end_of_file(pipe):
    read, write = pipe
    os.write(write, b"\x00\x00")
    os.close(write)
    with pytest.raises(EOFError, match="inside a message"):
        pipes.recv(read)


def test_two_messages_at_once_break_the_turn_loudly(pipe):
    """Requests and answers alternate; bytes past the first message mean a broken exchange, not a lost one."""
    read, write = pipe
    pipes.send(write, "one")
    pipes.send(write, "two")
    with pytest.raises(OSError, match="unexpected bytes"):
        pipes.recv(read)


def test_a_request_with_its_union_decided_keeps_every_other_field():
    from dataclasses import replace

    from server.executor import QueryRequest

    request = QueryRequest("ASK {}", ("http://e/g",), ("http://e/n",), "text/csv", "json", 7, "http://e/sparql")
    for union in (True, False):
        decided = request.with_union(union)
        assert decided == replace(request, union=union)
        assert decided.union is union and request.union is None
