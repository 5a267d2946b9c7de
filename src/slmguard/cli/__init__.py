"""slmguard.cli"""
