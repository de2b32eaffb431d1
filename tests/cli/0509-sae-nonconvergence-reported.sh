# non-convergence is reported with a non-zero exit, never hidden
M=$TOP/tests/data/sae_milk/milk.csv
sol sae fh --data "$M" --id-field SmallArea --direct yi --var vardir --covariates MajorArea \
    --factor MajorArea --max-iter 2
expect_exit 1; expect_err 'did not converge in 2 iterations'
sol sae fh --data "$M" --id-field SmallArea --direct yi --var vardir --covariates MajorArea \
    --factor MajorArea --method ml --json
expect_exit 0; expect_out '"method": "ml"'; expect_out '"converged": true'
expect_out '"sigma2_u": 0.01551750871'
sol sae fh --data "$M" --id-field SmallArea --direct yi --var vardir --covariates MajorArea
expect_exit 0; expect_lines 44; expect_out '^id,direct,var_direct,eblup,mse,gamma,synthetic$'
