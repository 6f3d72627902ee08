"""KMS's API as the local AWS serves it: a call on another account's key is judged as AWS judges it.

A cryptographic call (``Encrypt``, ``Decrypt``, ``GenerateDataKey``,
``GenerateDataKeyWithoutPlaintext``) or ``DescribeKey`` that names a key by its key or alias ARN
in another account, or a ``Decrypt`` whose ciphertext was made under such a key, reaches the key
in its own account, when both policies allow it (KMS Developer Guide, "Allowing users in other
accounts to use a KMS key"): the key policy allows the caller's account or the caller, and the
caller's IAM policies (its role's inline and attached policies) allow the action on the key. An
explicit ``Deny`` in either wins. Otherwise the call fails with ``AccessDeniedException`` and
the message IAM gives (IAM User Guide, "Troubleshooting access denied error messages").

The request's context: ``kms:CallerAccount``, ``aws:PrincipalArn`` (the role) and
``aws:PrincipalAccount``, ``aws:SecureTransport`` (the local AWS stands for HTTPS endpoints);
no ``kms:ViaService``, since a call through this API is made by its caller, not by a service on
its behalf (KMS Developer Guide, "kms:ViaService"). A caller that is no assumed role (the base
credentials) acts as its account's root, which no IAM policy limits.

Calls on a key of the caller's own account are left as moto answers them. The rule sits in the
API's request handler, the only place that knows the caller: no CloudFormation handler makes
these calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from moto.kms.models import Key, kms_backends
from moto.kms.responses import KmsResponse
from moto.kms.utils import _deserialize_ciphertext_blob
from moto.sts.models import sts_backends

from localaws.resources import backends, kms, policy_evaluation
from localaws.resources.errors import Rejected
from localaws.resources.policy_evaluation import Effect

OPERATIONS = {
    "describe_key": "kms:DescribeKey",
    "encrypt": "kms:Encrypt",
    "decrypt": "kms:Decrypt",
    "generate_data_key": "kms:GenerateDataKey",
    "generate_data_key_without_plaintext": "kms:GenerateDataKeyWithoutPlaintext",
}


@dataclass(frozen=True)
class Caller:
    account: str
    principal: str  # the role's ARN, or the account's root
    session: str  # who the error message names: the assumed-role session ARN
    role: str | None  # the role's name, None for the account's root


def caller_of(response: KmsResponse) -> Caller:
    account = response.current_account
    assumed = sts_backends[account][backends.PARTITION].get_assumed_role_from_access_key(response.get_access_key())
    if assumed is None:
        root = f"arn:aws:iam::{account}:root"
        return Caller(account, root, root, None)
    return Caller(account, assumed.role_arn, assumed.arn, assumed.role_arn.split("/")[-1])


def _key_of_ciphertext(blob: bytes, region: str) -> Key | None:
    try:
        key_id = _deserialize_ciphertext_blob(blob).key_id
    except Exception:  # noqa: BLE001 - not moto's format: moto's decrypt answers InvalidCiphertextException
        return None
    return next((b[region].keys[key_id] for b in kms_backends.values() if key_id in b[region].keys), None)


def foreign_key(response: KmsResponse) -> Key | None:
    """The key of another account the request names, if it names one that exists."""
    reference = response._get_param("KeyId")
    if reference:
        if not reference.startswith("arn:aws:kms:") or reference.split(":")[4] == response.current_account:
            return None
        key = kms.find_key(reference, response.current_account, response.region)
    elif response._get_param("CiphertextBlob"):
        key = _key_of_ciphertext(response._get_param("CiphertextBlob"), response.region)
    else:
        return None
    return key if key is not None and key.account_id != response.current_account else None


def _identity_policies(caller: Caller) -> list[str]:
    if caller.role is None:
        return []
    role = backends.iam(caller.account).get_role(caller.role)
    managed = [v.document for p in role.managed_policies.values() for v in p.versions if v.is_default]
    return [*role.policies.values(), *managed]


def authorize(caller: Caller, key: Key, action: str) -> None:
    """Raise AWS's ``AccessDeniedException`` unless the key policy and the caller's IAM policy allow ``action``."""
    context = {
        "kms:CallerAccount": caller.account,
        "aws:PrincipalAccount": caller.account,
        "aws:PrincipalArn": caller.principal,
        "aws:SecureTransport": "true",
    }
    in_key_policy = policy_evaluation.judge([key.policy], action, key.arn, context, caller.principal, caller.account)
    in_identity = (
        Effect.ALLOW
        if caller.role is None
        else policy_evaluation.judge(_identity_policies(caller), action, key.arn, context)
    )
    denied = f"User: {caller.session} is not authorized to perform: {action} on resource: {key.arn}"
    if in_identity is Effect.DENY:
        raise Rejected("AccessDeniedException", f"{denied} with an explicit deny in an identity-based policy")
    if in_key_policy is Effect.DENY:
        raise Rejected("AccessDeniedException", f"{denied} with an explicit deny in a resource-based policy")
    if in_identity is not Effect.ALLOW:
        raise Rejected("AccessDeniedException", f"{denied} because no identity-based policy allows the {action} action")
    if in_key_policy is not Effect.ALLOW:
        raise Rejected("AccessDeniedException", f"{denied} because no resource-based policy allows the {action} action")


def _judged(method: Callable[[KmsResponse], str], action: str) -> Callable[[KmsResponse], str]:
    def call(self: KmsResponse) -> str:
        key = foreign_key(self)
        if key is None:
            return method(self)
        authorize(caller_of(self), key, action)
        own = self.current_account
        self.current_account = key.account_id  # the key's account serves the call, as AWS's KMS does
        try:
            return method(self)
        finally:
            self.current_account = own

    call.__module__ = __name__
    return call


def install() -> None:
    if KmsResponse.decrypt.__module__ == __name__:
        return  # installed already: wrap moto's own methods once
    for name, action in OPERATIONS.items():
        setattr(KmsResponse, name, _judged(getattr(KmsResponse, name), action))
