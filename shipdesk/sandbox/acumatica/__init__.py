"""The Acumatica sandbox: a local instance of the contract-based REST API (endpoint ``Default``).

Modules, one job each: ``app`` (the server and its routes), ``auth`` (licence seats: cookie
sessions and OAuth tokens), ``documents`` (the records and what may be done to them),
``entities`` (wire rendering per the vendor spec), ``updates`` (PUT checking and merging),
``odata`` (``$filter``), ``actions`` (long operations), ``throttle`` (request queue), ``errors``.
"""

from shipdesk.sandbox.acumatica.app import AcumaticaSandbox

__all__ = ["AcumaticaSandbox"]
