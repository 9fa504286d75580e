{% extends "configure.sh" %}
