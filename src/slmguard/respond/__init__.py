"""slmguard.respond"""
