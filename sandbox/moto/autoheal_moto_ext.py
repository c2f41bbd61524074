"""Launch lifecycle hooks for moto's Auto Scaling (installed by launcher.py before the server starts).

moto 5.2.5 models Auto Scaling groups well, but lifecycle hooks are metadata only: instances go straight to
InService, CompleteLifecycleAction and RecordLifecycleActionHeartbeat are not implemented (HTTP 500), and
CreateAutoScalingGroup ignores LifecycleHookSpecificationList. The operator's launch gate needs all of that, so
this module adds it on top of moto's own backend (its groups, EC2 instances and replacement logic), following
the AWS documentation of the launch hook:

- A group with a hook for ``autoscaling:EC2_INSTANCE_LAUNCHING`` puts each instance it launches from then on in
  ``Pending:Wait``, with one pending lifecycle action (and a LifecycleActionToken) per launching hook. Pending
  instances count towards the group's capacity (moto counted only InService ones, so it would over-launch).
- ``CompleteLifecycleAction`` (AutoScalingGroupName, LifecycleHookName, LifecycleActionResult, InstanceId and/or
  LifecycleActionToken): CONTINUE completes that hook's action, and the instance becomes ``InService`` when no
  action is left; ABANDON terminates the EC2 instance and the group launches a replacement at once (moto's own
  replacement path), which waits in ``Pending:Wait`` again. Errors are ValidationError (HTTP 400) as on AWS,
  e.g. "No active Lifecycle Action found with instance ID i-...".
- ``RecordLifecycleActionHeartbeat``: accepted for a pending action; restarts its heartbeat timeout.
- Heartbeat timeout: when HeartbeatTimeout seconds pass without completion or heartbeat, the hook's DefaultResult
  (CONTINUE or ABANDON) is applied. This is evaluated lazily, at the start of every Auto Scaling request.
- ``CreateAutoScalingGroup`` honours ``LifecycleHookSpecificationList`` (hooks exist before the first launch);
  ``DeleteAutoScalingGroup`` deletes the group's hooks, as AWS does; ``DeleteLifecycleHook`` completes the hook's
  outstanding launch actions with ABANDON, as AWS does (moto left the instances waiting for ever).

Terminating hooks (``autoscaling:EC2_INSTANCE_TERMINATING``), as AWS documents them:

- ``TerminateInstanceInAutoScalingGroup`` and scale-in (SetDesiredCapacity / UpdateAutoScalingGroup lowering the
  capacity) put the chosen instances in ``Terminating:Wait`` (EC2 keeps running them; the group still lists them)
  with one pending action per terminating hook. A leaving instance no longer counts towards the group's capacity,
  so without ShouldDecrementDesiredCapacity its replacement launches at once (moto's replace-at-once path).
  Scale-in picks the first instances not protected from scale in (moto's order: launch order); AWS's default
  termination policy (zone balance, oldest launch template) is not modelled.
- ``CompleteLifecycleAction`` CONTINUE completes that hook's action; ABANDON stops the remaining ones. Either way
  the instance terminates once no action is left ("If the instance is terminating, both ABANDON and CONTINUE let
  the instance terminate") — the group passes ``Terminating:Proceed`` and drops it, EC2 terminates it (tags kept,
  as AWS keeps them). The heartbeat and timeout work as for launches; ``DeleteLifecycleHook`` completes outstanding
  terminating actions with CONTINUE. TerminateInstanceInAutoScalingGroup of an instance already leaving changes
  nothing.

Not modelled: notifications to the hook's target (SNS/SQS; EventBridge is autoheal_moto_events), the global
timeout, hooks on instances attached with AttachInstances or abandoned at launch, warm pools.

The patches are on moto's classes, not on backend instances, so they survive ``POST /moto-api/reset`` (which
replaces the backends); the pending actions live on moto's InstanceState objects and are reset with them.
"""
from __future__ import annotations

import time
import uuid
from typing import Any

from moto.autoscaling import models as as_models
from moto.autoscaling import responses as as_responses
from moto.autoscaling.exceptions import ValidationError
from moto.core.responses import EmptyResult

LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING"
TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING"
PENDING_STATES = ("Pending", "Pending:Wait", "Pending:Proceed")
LEAVING_STATES = ("Terminating", "Terminating:Wait", "Terminating:Proceed")
WAIT_STATES = ("Pending:Wait", "Terminating:Wait")
RESULTS = ("CONTINUE", "ABANDON")

_installed = False


class LifecycleAction:
    """One pending launch lifecycle action: an instance waiting for one hook."""

    def __init__(self, hook: Any, instance_id: str):
        self.hook_name: str = hook.name
        self.heartbeat_timeout: int = int(hook.heartbeat_timeout)
        self.default_result: str = hook.default_result or "ABANDON"
        self.token = str(uuid.uuid4())
        self.instance_id = instance_id
        self.started = time.time()
        self.last_heartbeat: float | None = None

    @property
    def deadline(self) -> float:
        return (self.last_heartbeat or self.started) + self.heartbeat_timeout


def _actions(state: Any) -> dict[str, LifecycleAction]:
    """The pending launch actions of an InstanceState, by hook name (created on first use)."""
    actions = getattr(state, "autoheal_lifecycle_actions", None)
    if actions is None:
        actions = {}
        state.autoheal_lifecycle_actions = actions
    return actions


def _launching_hooks(backend: Any, group_name: str) -> list[Any]:
    return _hooks(backend, group_name, LAUNCHING)


def _hooks(backend: Any, group_name: str, transition: str) -> list[Any]:
    return [
        h
        for h in backend.lifecycle_hooks.values()
        if h.auto_scaling_group_name == group_name and h.lifecycle_transition == transition
    ]


# --- model patches ------------------------------------------------------------------------------------------

_orig_replace = as_models.FakeAutoScalingGroup.replace_autoscaling_group_instances
_orig_active = as_models.FakeAutoScalingGroup.active_instances
_orig_delete_group = as_models.AutoScalingBackend.delete_auto_scaling_group


def _replace_autoscaling_group_instances(self: Any, count_needed: int, propagated_tags: dict[str, str]) -> None:
    """moto's launch of new instances, then: instances launched under a launching hook wait in Pending:Wait."""
    before = {id(s) for s in self.instance_states}
    _orig_replace(self, count_needed, propagated_tags)
    hooks = _launching_hooks(self.autoscaling_backend, self.name)
    if not hooks:
        return
    for state in self.instance_states:
        if id(state) in before:
            continue
        state.lifecycle_state = "Pending:Wait"
        actions = _actions(state)
        for hook in hooks:
            actions[hook.name] = LifecycleAction(hook, state.instance.id)


def _active_instances(self: Any) -> list[Any]:
    """Instances that count towards the group's capacity: InService and the ones still launching."""
    return [x for x in self.instance_states if x.lifecycle_state == "InService" or x.lifecycle_state in PENDING_STATES]


def start_terminating(group: Any, state: Any, hooks: list[Any]) -> None:
    """The instance leaves the group's capacity and waits in Terminating:Wait for each terminating hook.
    (A module-level function: autoheal_moto_events wraps it to publish the lifecycle action.)"""
    state.lifecycle_state = "Terminating:Wait"
    actions = _actions(state)
    actions.clear()  # a launch action still open is over: the instance is leaving
    for hook in hooks:
        actions[hook.name] = LifecycleAction(hook, state.instance.id)


def _finish_terminating(backend: Any, group: Any, state: Any) -> None:
    state.lifecycle_state = "Terminating:Proceed"
    _actions(state).clear()
    group.instance_states = [s for s in group.instance_states if s is not state]
    backend.ec2_backend.terminate_instances([state.instance.id])


_orig_set_desired = as_models.FakeAutoScalingGroup.set_desired_capacity
_orig_terminate_instance = as_models.AutoScalingBackend.terminate_instance


def _set_desired_capacity(self: Any, new_capacity: int | None) -> None:
    """Scale-in under a terminating hook: the excess instances wait in Terminating:Wait instead of terminating.
    Leaving instances are kept out of moto's own computation (it would pick them again), then put back."""
    hooks = _hooks(self.autoscaling_backend, self.name, TERMINATING)
    if hooks:
        desired = self.min_size if new_capacity is None else new_capacity
        active = self.active_instances()
        excess = len(active) - (desired or 0)
        if excess > 0:
            for state in [s for s in active if not s.protected_from_scale_in][:excess]:
                start_terminating(self, state, hooks)
    leaving = [s for s in self.instance_states if s.lifecycle_state in LEAVING_STATES]
    if not leaving:
        _orig_set_desired(self, new_capacity)
        return
    self.instance_states = [s for s in self.instance_states if s.lifecycle_state not in LEAVING_STATES]
    try:
        _orig_set_desired(self, new_capacity)
    finally:
        self.instance_states = self.instance_states + leaving


def _terminate_instance(self: Any, instance_id: str, should_decrement: bool) -> Any:
    """TerminateInstanceInAutoScalingGroup under a terminating hook: Terminating:Wait, replacement at once."""
    found = next(((g, s) for g in self.autoscaling_groups.values() for s in g.instance_states
                  if s.instance.id == instance_id), None)
    hooks = _hooks(self, found[0].name, TERMINATING) if found else []
    if not hooks:
        result = _orig_terminate_instance(self, instance_id, should_decrement)
        if found:
            # AWS keeps aws:autoscaling:groupName on an instance its group terminates (DescribeInstances by that tag still
            # lists it, shutting-down then terminated); moto's detach step deletes the tag.
            self.ec2_backend.create_tags([instance_id], {as_models.ASG_NAME_TAG: found[0].name})
        return result
    group, state = found
    original_size = group.desired_capacity
    if state.lifecycle_state not in LEAVING_STATES:
        start_terminating(group, state, hooks)
        if should_decrement:
            group.desired_capacity = original_size - 1
        group.set_desired_capacity(group.desired_capacity)
    return as_models.TerminateInstanceActivity(state.instance, original_size)


def _delete_auto_scaling_group(self: Any, group_name: str) -> None:
    _orig_delete_group(self, group_name)
    for key in [k for k, h in self.lifecycle_hooks.items() if h.auto_scaling_group_name == group_name]:
        self.lifecycle_hooks.pop(key, None)


_orig_delete_hook = as_models.AutoScalingBackend.delete_lifecycle_hook


def _delete_lifecycle_hook(self: Any, as_name: str, name: str) -> None:
    """AWS: "If there are any outstanding lifecycle actions, they are completed first (ABANDON for launching
    instances ...)". The hook goes first, so the replacements of abandoned instances do not wait for it again."""
    _orig_delete_hook(self, as_name, name)
    group = self.autoscaling_groups.get(as_name)
    if group is None:
        return
    for state in list(group.instance_states):
        action = _actions(state).get(name)
        if action is not None and state.lifecycle_state == "Pending:Wait":
            _apply_result(self, group, state, action, "ABANDON")
        elif action is not None and state.lifecycle_state == "Terminating:Wait":
            _apply_result(self, group, state, action, "CONTINUE")


# --- backend operations -------------------------------------------------------------------------------------


def _find_action(backend: Any, group_name: str, hook_name: str, instance_id: str | None, token: str | None):
    if not group_name:
        raise ValidationError("1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null")
    if not hook_name:
        raise ValidationError("1 validation error detected: Value null at 'lifecycleHookName' failed to satisfy constraint: Member must not be null")
    if not instance_id and not token:
        raise ValidationError("Either InstanceId or LifecycleActionToken must be specified")
    group = backend.autoscaling_groups.get(group_name)
    if group is None:
        raise ValidationError(f"Group {group_name} not found")
    if f"{group_name}_{hook_name}" not in backend.lifecycle_hooks:
        raise ValidationError(f"No Lifecycle Hook found with name {hook_name} for group {group_name}")
    for state in group.instance_states:
        if instance_id and state.instance.id != instance_id:
            continue
        if state.lifecycle_state not in WAIT_STATES:
            continue
        action = _actions(state).get(hook_name)
        if action is None or (token and action.token != token):
            continue
        return group, state, action
    if instance_id:
        raise ValidationError(f"No active Lifecycle Action found with instance ID {instance_id}")
    raise ValidationError(f"No active Lifecycle Action found with token {token}")


def _apply_result(backend: Any, group: Any, state: Any, action: LifecycleAction, result: str) -> None:
    actions = _actions(state)
    actions.pop(action.hook_name, None)
    if state.lifecycle_state == "Terminating:Wait":
        # Both results terminate; ABANDON skips the other hooks' actions, CONTINUE lets them complete first.
        if result == "ABANDON" or not actions:
            _finish_terminating(backend, group, state)
        return
    if result == "ABANDON":
        # AWS terminates the instance and the group launches a replacement (under the same hooks).
        # notify_terminate_instances drops it from the group and, as it still counts as launching, launches one
        # instance in its place.
        actions.clear()
        backend.ec2_backend.terminate_instances([state.instance.id])
        backend.notify_terminate_instances([state.instance.id])
    elif not actions:
        state.lifecycle_state = "InService"
        backend.update_attached_elbs(group.name)
        backend.update_attached_target_groups(group.name)


def complete_lifecycle_action(
    self: Any, group_name: str, hook_name: str, result: str, instance_id: str | None = None, token: str | None = None
) -> None:
    if result not in RESULTS:
        raise ValidationError(f"Value {result} at 'lifecycleActionResult' failed to satisfy constraint: valid values are CONTINUE, ABANDON")
    group, state, action = _find_action(self, group_name, hook_name, instance_id, token)
    _apply_result(self, group, state, action, result)


def record_lifecycle_action_heartbeat(
    self: Any, group_name: str, hook_name: str, instance_id: str | None = None, token: str | None = None
) -> None:
    _group, _state, action = _find_action(self, group_name, hook_name, instance_id, token)
    action.last_heartbeat = time.time()


def expire_lifecycle_actions(self: Any, now: float | None = None) -> None:
    """Applies the hook's DefaultResult to every pending action whose heartbeat timeout has passed."""
    now = time.time() if now is None else now
    for group in list(self.autoscaling_groups.values()):
        for state in list(group.instance_states):
            if state.lifecycle_state not in WAIT_STATES:
                continue
            waiting = state.lifecycle_state
            for action in list(_actions(state).values()):
                if state.lifecycle_state == waiting and action.deadline <= now:
                    _apply_result(self, group, state, action, action.default_result)


# --- response (API) patches ---------------------------------------------------------------------------------

_orig_call_action = as_responses.AutoScalingResponse.call_action
_orig_create_group = as_responses.AutoScalingResponse.create_auto_scaling_group


def _call_action(self: Any):
    try:
        expire_lifecycle_actions(self.autoscaling_backend)
    except Exception:  # never let the timeout sweep break a request
        pass
    return _orig_call_action(self)


def _create_auto_scaling_group(self: Any):
    """CreateAutoScalingGroup with LifecycleHookSpecificationList: the hooks exist before the first launch."""
    name = self._get_param("AutoScalingGroupName")
    specs = self._get_param("LifecycleHookSpecificationList", []) or []
    backend = self.autoscaling_backend
    created: list[str] = []
    if specs and name not in backend.autoscaling_groups:
        for spec in specs:
            timeout = spec.get("HeartbeatTimeout")
            hook = backend.create_lifecycle_hook(
                name=spec.get("LifecycleHookName"),
                as_name=name,
                transition=spec.get("LifecycleTransition"),
                timeout=int(timeout) if timeout is not None else None,
                result=spec.get("DefaultResult"),
            )
            created.append(hook.name)
    try:
        return _orig_create_group(self)
    except Exception:
        for hook_name in created:
            backend.delete_lifecycle_hook(name, hook_name)
        raise


def _resp_complete_lifecycle_action(self: Any):
    complete_lifecycle_action(
        self.autoscaling_backend,
        group_name=self._get_param("AutoScalingGroupName"),
        hook_name=self._get_param("LifecycleHookName"),
        result=self._get_param("LifecycleActionResult"),
        instance_id=self._get_param("InstanceId"),
        token=self._get_param("LifecycleActionToken"),
    )
    return EmptyResult()


def _resp_record_lifecycle_action_heartbeat(self: Any):
    record_lifecycle_action_heartbeat(
        self.autoscaling_backend,
        group_name=self._get_param("AutoScalingGroupName"),
        hook_name=self._get_param("LifecycleHookName"),
        instance_id=self._get_param("InstanceId"),
        token=self._get_param("LifecycleActionToken"),
    )
    return EmptyResult()


def install() -> None:
    """Patches moto's Auto Scaling model and response classes. Idempotent; call before the server starts."""
    global _installed
    if _installed:
        return
    G, B, R = as_models.FakeAutoScalingGroup, as_models.AutoScalingBackend, as_responses.AutoScalingResponse
    G.replace_autoscaling_group_instances = _replace_autoscaling_group_instances
    G.active_instances = _active_instances
    G.set_desired_capacity = _set_desired_capacity
    B.terminate_instance = _terminate_instance
    B.delete_auto_scaling_group = _delete_auto_scaling_group
    B.delete_lifecycle_hook = _delete_lifecycle_hook
    B.complete_lifecycle_action = complete_lifecycle_action
    B.record_lifecycle_action_heartbeat = record_lifecycle_action_heartbeat
    B.expire_lifecycle_actions = expire_lifecycle_actions
    # call_action is wrapped by moto's amz_crc32 decorator; keep that decorated function inside ours.
    R.call_action = _call_action
    R.create_auto_scaling_group = _create_auto_scaling_group
    # moto dispatches an action to the response method of the same snake_case name.
    R.complete_lifecycle_action = _resp_complete_lifecycle_action
    R.record_lifecycle_action_heartbeat = _resp_record_lifecycle_action_heartbeat
    _installed = True
