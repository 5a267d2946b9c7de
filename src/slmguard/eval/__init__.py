"""slmguard.eval"""
