{% extends "make.sh" %}
