"""datamesh: a CDK app that provisions a data mesh on AWS from parameter files."""
