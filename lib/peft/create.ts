/**
 * Turning a `TaskModel` into a `PeftModel`: the task model's encoder becomes the frozen base, its freshly drawn
 * head the adapter's `modules_to_save` copy. A pooler the base did not pretrain (drawn at random when it was
 * loaded, or a course checkpoint's, saved at its random init) is trained and saved with a sequence classifier's
 * adapter too, so the adapter reproduces its logits over any copy of the base.
 */
import * as tf from "@tensorflow/tfjs";
import type { Params } from "../nn/params";
import { POOLER_PARAMETERS } from "../tasks/base-model";
import type { TaskModel } from "../tasks/heads";
import type { BertConfig } from "../model/config";
import type { PeftMethod } from "./method";
import { PeftModel } from "./peft-model";


/**
 * Wraps `task` (taken over: do not dispose it) with adapter `name` built by `method` from the encoder's config and
 * its (frozen) parameters — which a method may read, e.g. to start its own copies of them, but never trains.
 * @param options initialized: parameter names the base did not pretrain (`TaskBase.initialized`); when the
 *   pooler is among them it joins `modules_to_save` (sequence classification only: token heads do not read it)
 * @returns the model (caller disposes)
 */
export function createPeftModel(task: TaskModel, method: (config: BertConfig, base: Params) => PeftMethod, options: { name?: string; initialized?: readonly string[] } = {}): PeftModel {
  const { name = "default", initialized = [] } = options;
  const modules: Params = new Map(task.head); // the head's variables move over
  const modulesToSave = ["classifier"];
  if (task.kind === "sequence" && POOLER_PARAMETERS.some((p) => initialized.includes(p))) { // a token head never reads the pooler
    for (const p of POOLER_PARAMETERS) modules.set(p, tf.variable(tf.clone(task.bert.params.get(p) as tf.Variable), true));
    modulesToSave.push("pooler");
  }
  const model = new PeftModel(task.bert, task.kind);
  try {
    model.addAdapter(name, method(task.bert.config, task.bert.params), modules, modulesToSave);
  } catch (error) {
    tf.dispose([...modules.values()]);
    model.dispose();
    throw error;
  }
  return model;
}
