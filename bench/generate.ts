/** Generated Dockerfiles for the benchmarks. */

export type Shape = "copy-chain" | "from-chain";

/**
 * `stages` stages of `perStage` instructions each (FROM included), all
 * reachable from the last stage so that the whole file is converted.
 * - `copy-chain`: every stage starts from the base image and copies a file
 *   from the previous stage (a monorepo-style file; LLB grows linearly).
 * - `from-chain`: every stage is `FROM` the previous one, so env, labels and
 *   ports accumulate and the LLB grows quadratically (a stress case).
 */
export function largeDockerfile(stages: number, perStage: number, shape: Shape = "copy-chain"): string {
  const lines: string[] = ["ARG BASE=busybox"];
  for (let i = 0; i < stages; i++) {
    const from = i === 0 || shape === "copy-chain" ? "${BASE}" : `s${i - 1}`;
    lines.push(`FROM ${from} AS s${i}`);
    const body = [
      `ENV STAGE_${i}=value-${i}`,
      `ARG A${i}=x${i}`,
      `WORKDIR /work/s${i}`,
      `RUN echo "stage ${i}" > /work/s${i}/out && ls -la /work`,
      i > 0 ? `COPY --from=s${i - 1} /work/s${i - 1}/out /imported/${i}` : `COPY file${i}.txt /imported/${i}`,
      `LABEL stage.${i}="label ${i}"`,
      `USER 1000:1000`,
      `EXPOSE ${8000 + (i % 1000)}/tcp`,
      `CMD ["sh", "-c", "echo ${i}"]`,
    ];
    lines.push(...body.slice(0, perStage - 1));
  }
  return lines.join("\n") + "\n";
}
