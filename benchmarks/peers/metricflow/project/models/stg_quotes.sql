select * from {{ source('commerce', 'quotes') }}
