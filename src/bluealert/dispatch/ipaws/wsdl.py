"""FEMA's IPAWS-OPEN CAP service as its WSDL describes it: names, and the schema of requests.

The WSDL (`ipaws_open_cap_service.wsdl`, shipped beside this module, byte for byte as
`shared/testdata` holds it) embeds four XML schemas that refer to each other without
`xsd:import`. `request_schema()` gives each its imports and compiles them together, so the
stand-in can validate a SOAP body or header element exactly against what the WSDL declares.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

WSDL_PATH = Path(__file__).with_name("ipaws_open_cap_service.wsdl")

SERVICE_NS = "http://gov.fema.ipaws.services/IPAWS_CAPService/"
REQUEST_NS = "http://gov.fema.ipaws.services/caprequest"
RESPONSE_NS = "http://gov.fema.ipaws.services/capresponse"
CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"

BINDING = f"{{{SERVICE_NS}}}CAPSoapHttp"
HEADER = f"{{{SERVICE_NS}}}CAPHeaderTypeDef"
POST_CAP = f"{{{SERVICE_NS}}}postCAPRequestTypeDef"
GET_REQUEST = f"{{{SERVICE_NS}}}getRequestTypeDef"
FAULT_DETAIL = f"{{{SERVICE_NS}}}CAPServiceException"
SOAP_ACTION = SERVICE_NS + "{operation}"  # the binding's soapAction per operation


class _Schemas(etree.Resolver):
    """Hands lxml each embedded schema when another one imports it."""

    def __init__(self, documents: dict[str, bytes]) -> None:
        super().__init__()
        self.documents = documents

    # lxml calls resolve(url, pubid, context); its stubs leave out the context.
    def resolve(  # type: ignore[override]
        self, url: str | None, pubid: str | None, context: object
    ) -> object:
        if url in self.documents:
            return self.resolve_string(self.documents[url], context, base_url=url)
        return None


def _location(namespace: str) -> str:
    return "wsdl-schema:" + namespace.replace("/", "_").replace(":", "_")


@cache
def request_schema() -> etree.XMLSchema:
    """All four of the WSDL's schemas, compiled together (each importing the others)."""
    wsdl = etree.parse(str(WSDL_PATH)).getroot()
    embedded = wsdl.findall(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema")
    namespaces = [str(s.get("targetNamespace")) for s in embedded]
    documents: dict[str, bytes] = {}
    for schema in embedded:
        own = schema.get("targetNamespace")
        for other in namespaces:
            if other != own:
                etree.SubElement(
                    schema,
                    f"{{{XSD_NS}}}import",
                    namespace=other,
                    schemaLocation=_location(other),
                )
                schema.insert(0, schema[-1])  # imports come first in a schema
        documents[_location(str(own))] = etree.tostring(schema)
    parser = etree.XMLParser()
    parser.resolvers.add(_Schemas(documents))
    root = etree.fromstring(documents[_location(SERVICE_NS)], parser)
    return etree.XMLSchema(root)
