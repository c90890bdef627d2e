"""The API's schemas, named for what they are: AlertDraft, AlertPublic, AlertRestricted, …"""
