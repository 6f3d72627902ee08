"""CloudFormation resource types the local AWS adds to (or corrects in) moto.

Each model is a direct subclass of moto's ``CloudFormationModel`` (moto finds models
through ``CloudFormationModel.__subclasses__()``) and works on moto's own service
backends, so what a deploy creates is visible through the ordinary AWS APIs.
"""
