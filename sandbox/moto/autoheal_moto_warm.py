"""Warm pools for moto's Auto Scaling (installed by launcher.py last: it wraps the launches of the other extensions).

moto 5.2.5 stores a warm pool's configuration (PutWarmPool / DescribeWarmPool / DeleteWarmPool) but launches no
warmed instance: DescribeWarmPool always answers ``Instances: []``. This module models what the AWS documentation of
warm pools describes, as far as the operator relies on it:

- Size: ``max(MinSize, MaxGroupPreparedCapacity - desired)`` spares (MaxGroupPreparedCapacity unset or -1: the
  group's MaxSize). The pool is topped up after PutWarmPool and at the start of every Auto Scaling request.
- A warmed launch starts in ``Warmed:Pending``; under a launching hook it waits in ``Warmed:Pending:Wait`` with one
  lifecycle action per hook (autoheal_moto_ext's actions: CompleteLifecycleAction, heartbeats and the hook's
  timeout work on spares too). CONTINUE (the last action): ``Warmed:Pending:Proceed`` then the pool state —
  ``Warmed:Stopped`` / ``Warmed:Hibernated`` stop the EC2 instance, ``Warmed:Running`` keeps it running. ABANDON
  terminates it, and the pool launches another.
- The group takes spares first whenever it launches (scale-out, or a replacement): a prepared spare (the pool state
  reached) is started again if stopped and enters ``Pending`` → ``Pending:Wait`` under a launching hook (AWS runs the
  launch hooks again on the way into service) or ``InService``; only the rest are cold launches. The pool then refills.
- TerminateInstanceInAutoScalingGroup of a spare terminates it (the pool refills); DeleteWarmPool terminates every
  spare; DeleteAutoScalingGroup with ForceDelete takes the spares with it.
- EventBridge (autoheal_moto_events): "EC2 Instance-launch Lifecycle Action" for a warmed launch with
  ``Origin: EC2, Destination: WarmPool``, and for a spare taken into service with ``Origin: WarmPool, Destination:
  AutoScalingGroup``, as AWS sends them; EC2 state changes (stop, start) come from the EC2 patches of that module.

Not modelled: the instance reuse policy (scale-in back into the pool), warm pools of mixed instances groups (AWS
refuses them; so does the operator's schema), the Warmed:Terminating:* hooks.
"""
from __future__ import annotations

from typing import Any

from moto.autoscaling import models as as_models
from moto.autoscaling import responses as as_responses
from moto.core.responses import ActionResult

import autoheal_moto_ext as ext

PREPARED = ("Warmed:Stopped", "Warmed:Running", "Warmed:Hibernated")
_installed = False


def spares(group: Any) -> list[Any]:
    """The group's warm-pool InstanceStates (created on first use; they live on the group, so a reset drops them)."""
    warm = getattr(group, "autoheal_warm", None)
    if warm is None:
        warm = []
        group.autoheal_warm = warm
    return warm


def wanted(group: Any) -> int:
    pool = getattr(group, "warm_pool", None)
    if pool is None:
        return 0
    max_prepared = pool.max_group_prepared_capacity
    max_prepared = group.max_size if max_prepared is None or int(max_prepared) < 0 else int(max_prepared)
    return max(int(pool.min_size or 0), max_prepared - (group.desired_capacity or 0))


def _publish_action(group: Any, state: Any, origin: str, destination: str) -> None:
    try:
        import autoheal_moto_events as events
    except ImportError:
        return
    backend = group.autoscaling_backend
    for action in list(ext._actions(state).values()):
        try:
            events.publish(events.event("aws.autoscaling", "EC2 Instance-launch Lifecycle Action", backend.account_id,
                                        backend.region_name, [group.arn], {
                "LifecycleActionToken": action.token, "AutoScalingGroupName": group.name, "LifecycleHookName": action.hook_name,
                "EC2InstanceId": action.instance_id, "LifecycleTransition": ext.LAUNCHING, "Origin": origin,
                "Destination": destination}))
        except Exception:  # an event never breaks the call that caused it
            pass


def fill(group: Any) -> None:
    """Launches spares until the pool has its size (leaving ones do not count)."""
    if getattr(group, "warm_pool", None) is None:
        return
    warm = spares(group)
    live = [s for s in warm if not s.lifecycle_state.startswith("Warmed:Terminat")]
    missing = wanted(group) - len(live)
    if missing <= 0:
        return
    before = {id(s) for s in group.instance_states}
    # autoheal_moto_ext's launch (moto's, then Pending:Wait under a hook), not the group's own wrapped one: these
    # instances go to the pool, not into service, and the events say so (Destination WarmPool).
    ext._replace_autoscaling_group_instances(group, missing, {})
    new = [s for s in group.instance_states if id(s) not in before]
    group.instance_states = [s for s in group.instance_states if id(s) in before]
    for state in new:
        warm.append(state)
        if state.lifecycle_state == "Pending:Wait":
            state.lifecycle_state = "Warmed:Pending:Wait"
            _publish_action(group, state, "EC2", "WarmPool")
        else:
            _prepare(group, state)


def _prepare(group: Any, state: Any) -> None:
    """The pool state reached: stopped (or hibernated) unless the pool keeps its spares running."""
    pool = getattr(group, "warm_pool", None)
    pool_state = pool.pool_state if pool else "Stopped"
    state.lifecycle_state = "Warmed:" + pool_state
    if pool_state in ("Stopped", "Hibernated"):
        group.autoscaling_backend.ec2_backend.stop_instances([state.instance.id])


def _drop(group: Any, state: Any) -> None:
    warm = spares(group)
    if state in warm:
        warm.remove(state)
    ext._actions(state).clear()
    group.autoscaling_backend.ec2_backend.terminate_instances([state.instance.id])


def take(group: Any, count: int) -> int:
    """Moves up to ``count`` prepared spares into the group (oldest first); returns how many it took."""
    taken = 0
    hooks = ext._launching_hooks(group.autoscaling_backend, group.name)
    for state in [s for s in spares(group) if s.lifecycle_state in PREPARED][:count]:
        spares(group).remove(state)
        if state.instance._state.name in ("stopped", "stopping"):
            group.autoscaling_backend.ec2_backend.start_instances([state.instance.id])
        if hooks:
            state.lifecycle_state = "Pending:Wait"
            actions = ext._actions(state)
            actions.clear()
            for hook in hooks:
                actions[hook.name] = ext.LifecycleAction(hook, state.instance.id)
        else:
            state.lifecycle_state = "InService"
        group.instance_states.append(state)
        _publish_action(group, state, "WarmPool", "AutoScalingGroup")
        taken += 1
    return taken


# --- patches ------------------------------------------------------------------------------------------------


def _wrap_replace(original):
    def wrapper(self: Any, count_needed: int, propagated_tags: dict[str, str]) -> None:
        taken = take(self, count_needed) if getattr(self, "warm_pool", None) is not None else 0
        if count_needed - taken > 0:
            original(self, count_needed - taken, propagated_tags)
        fill(self)
    return wrapper




def _find_action(backend: Any, group_name: str, hook_name: str, instance_id: str | None, token: str | None):
    """Actions of spares in Warmed:Pending:Wait are found like those of the group's instances."""
    group = backend.autoscaling_groups.get(group_name) if group_name else None
    if group is not None and hook_name and f"{group_name}_{hook_name}" in backend.lifecycle_hooks:
        for state in spares(group):
            if state.lifecycle_state != "Warmed:Pending:Wait" or (instance_id and state.instance.id != instance_id):
                continue
            action = ext._actions(state).get(hook_name)
            if action is not None and (not token or action.token == token):
                return group, state, action
    return _orig["find_action"](backend, group_name, hook_name, instance_id, token)


def _apply_result(backend: Any, group: Any, state: Any, action: Any, result: str) -> None:
    if state.lifecycle_state != "Warmed:Pending:Wait":
        _orig["apply_result"](backend, group, state, action, result)
        return
    actions = ext._actions(state)
    actions.pop(action.hook_name, None)
    if result == "ABANDON":
        _drop(group, state)
        fill(group)
    elif not actions:
        state.lifecycle_state = "Warmed:Pending:Proceed"
        _prepare(group, state)


def expire_lifecycle_actions(self: Any, now: float | None = None) -> None:
    _orig["expire"](self, now)
    import time
    now = time.time() if now is None else now
    for group in list(self.autoscaling_groups.values()):
        for state in list(spares(group)):
            for action in list(ext._actions(state).values()):
                if state.lifecycle_state == "Warmed:Pending:Wait" and action.deadline <= now:
                    _apply_result(self, group, state, action, action.default_result)


# The originals are taken at install(): the other extensions have patched these by then.
_orig: dict[str, Any] = {}


def _terminate_instance(self: Any, instance_id: str, should_decrement: bool) -> Any:
    for group in self.autoscaling_groups.values():
        for state in list(spares(group)):
            if state.instance.id == instance_id:
                _drop(group, state)
                fill(group)
                return as_models.TerminateInstanceActivity(state.instance, group.desired_capacity)
    return _orig["terminate_instance"](self, instance_id, should_decrement)


def _put_warm_pool(self: Any, group_name: str, **kwargs: Any) -> None:
    _orig["put_warm_pool"](self, group_name=group_name, **kwargs)
    group = self.autoscaling_groups[group_name]
    if group.warm_pool is not None:
        for attr in ("min_size", "max_group_prepared_capacity"):
            value = getattr(group.warm_pool, attr)
            setattr(group.warm_pool, attr, None if value is None else int(value))
    fill(group)


def _delete_warm_pool(self: Any, group_name: str) -> None:
    group = self.autoscaling_groups.get(group_name)
    _orig["delete_warm_pool"](self, group_name=group_name)
    if group is not None:
        for state in list(spares(group)):
            _drop(group, state)


def _delete_group(self: Any, group_name: str) -> None:
    group = self.autoscaling_groups.get(group_name)
    _orig["delete_auto_scaling_group"](self, group_name)
    if group is not None:
        for state in list(spares(group)):
            _drop(group, state)


def top_up(backend: Any) -> None:
    for group in list(backend.autoscaling_groups.values()):
        fill(group)



def _call_action(self: Any):
    try:
        top_up(self.autoscaling_backend)
    except Exception:  # never let the top-up break a request
        pass
    return _orig["call_action"](self)


def _describe_warm_pool(self: Any) -> ActionResult:
    group_name = self._get_param("AutoScalingGroupName")
    backend = self.autoscaling_backend
    warm_pool = backend.describe_warm_pool(group_name=group_name)
    group = backend.autoscaling_groups.get(group_name)
    instances = [] if group is None or warm_pool is None else sorted(spares(group), key=lambda s: s.instance.id)
    return ActionResult({"WarmPoolConfiguration": warm_pool, "Instances": instances})


def install() -> None:
    """Patches moto (after autoheal_moto_ext and autoheal_moto_events). Idempotent; call before the server starts."""
    global _installed
    if _installed:
        return
    G, B, R = as_models.FakeAutoScalingGroup, as_models.AutoScalingBackend, as_responses.AutoScalingResponse
    _orig.update(terminate_instance=B.terminate_instance, put_warm_pool=B.put_warm_pool, delete_warm_pool=B.delete_warm_pool,
                 delete_auto_scaling_group=B.delete_auto_scaling_group, call_action=R.call_action, find_action=ext._find_action,
                 apply_result=ext._apply_result, expire=ext.expire_lifecycle_actions)
    G.replace_autoscaling_group_instances = _wrap_replace(G.replace_autoscaling_group_instances)
    ext._find_action = _find_action
    ext._apply_result = _apply_result
    ext.expire_lifecycle_actions = expire_lifecycle_actions
    B.expire_lifecycle_actions = expire_lifecycle_actions
    B.terminate_instance = _terminate_instance
    B.put_warm_pool = _put_warm_pool
    B.delete_warm_pool = _delete_warm_pool
    B.delete_auto_scaling_group = _delete_group
    R.call_action = _call_action
    R.describe_warm_pool = _describe_warm_pool
    _installed = True
