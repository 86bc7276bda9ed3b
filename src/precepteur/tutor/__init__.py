"""tutor"""
