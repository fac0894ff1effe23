"""OParl 1.0/1.1 client: the papers (Drucksachen) of a council information system.

OParl (https://oparl.org) is the open interface of German council information
systems. :func:`fetch_papers` reads the paper lists of a System or a Body and
maps each paper to plain data (:class:`OParlPaper`); making motions of them is
the importer's business.

reader.py reads the server (the HTTP client, retries, paging, referenced objects);
values.py maps OParl's JSON values to plain data; papers.py puts them together.

Real endpoints bend the specification in many ways. Each bend survived here is
handled where it shows up, under a comment starting "Quirk:"; the tests serve
every one of them from a local server (tests/helpers/oparl_server.py).
"""

from store.errors import OParlError
from store.exchange.oparl.papers import OParlPaper, fetch_papers
from store.exchange.oparl.reader import USER_AGENT, OParlWarning, make_client

__all__ = ["USER_AGENT", "OParlError", "OParlPaper", "OParlWarning", "fetch_papers", "make_client"]
