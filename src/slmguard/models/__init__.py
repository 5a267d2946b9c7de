"""slmguard.models"""
