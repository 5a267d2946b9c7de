"""slmguard.weak"""
