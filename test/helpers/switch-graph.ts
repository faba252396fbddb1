/** Test helper: the text of a graph file whose root, `pick`, routes by one request tag to the nodes under test. */

/**
 * `pick` switches on `meta.tags.<tag>`: each case's value goes to its child, anything else to `fallback`.
 * `nodes` is the YAML of every other node, indented by four spaces.
 */
export function switchGraphYaml(name: string, tag: string, cases: Array<[value: string | boolean, child: string]>, fallback: string, nodes: string): string {
  const children = [...new Set([fallback, ...cases.map(([, child]) => child)])];
  return `apiVersion: switchyard.dev/v1alpha1
kind: InferenceGraph
metadata: { name: ${name} }
spec:
  root: pick
  nodes:
    pick:
      type: ROUTER
      router: switch
      parameters:
        cases:
${cases.map(([value, child]) => `          - { field: meta.tags.${tag}, equals: ${JSON.stringify(value)}, child: ${child} }`).join('\n')}
        default: ${fallback}
      children: [${children.join(', ')}]
${nodes}`;
}
